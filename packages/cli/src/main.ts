import { validateCommand } from './validate-command.ts';

const USAGE = `usage: portolan validate [--blueprints <dir>] [--server <url> --token <token>] [--no-follow] [--format text|json] <files...>

Checks catalog files the way the portal would import them: Backstage descriptors (catalog-info.yaml,
Locations followed) and Portolan/Port blueprints, entities and actions in JSON or YAML. Messages are
file:line:column. Exit code 0 when there are no errors, 1 when there are, 2 on bad usage.

  --blueprints <dir>   blueprint JSON files to check entities against (default: the built-in model)
  --server <url>       read the blueprints from a running portal instead (with --token)
  --no-follow          do not follow Location entities to other files
  --format json        one JSON object with every problem, for CI annotations`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'validate') return validateCommand(rest, { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') });
  process.stderr.write((command && command !== '--help' && command !== '-h' ? `unknown command: ${command}\n\n` : '') + USAGE + '\n');
  return command === '--help' || command === '-h' ? 0 : 2;
}
