/** ${{ values.description }} */
export function greet(name: string): string {
  return `Hello from ${{ values.name }}, ${name}!`;
}
