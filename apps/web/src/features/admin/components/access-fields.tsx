import { MultiSelect, Select, Stack, TagsInput } from '@mantine/core';
import { ROLES, type Role } from '@portolan/contract';
import { useBlueprints } from '../../blueprints/api/get-blueprints.ts';
import { useTeams } from '../../teams/api/get-teams.ts';

export interface AccessValue {
  role: Role;
  teams: string[];
  moderatedBlueprints: string[];
}

const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin: everything',
  moderator: 'Moderator: edits chosen blueprints and their entities',
  member: "Member: edits their teams' entities",
  viewer: 'Viewer: read-only',
};

/** Role, teams and moderated blueprints: the same three fields for users and API clients. */
export function AccessFields({ value, onChange }: { value: AccessValue; onChange: (next: AccessValue) => void }) {
  const blueprints = useBlueprints();
  const teams = useTeams();
  return (
    <Stack gap="sm">
      <Select
        label="Role"
        data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        value={value.role}
        allowDeselect={false}
        onChange={(r) => r && onChange({ ...value, role: r as Role })}
        comboboxProps={{ withinPortal: true }}
      />
      {value.role === 'moderator' && (
        <MultiSelect
          label="Moderated blueprints"
          description="They may change these blueprints and all their entities"
          data={(blueprints.data ?? []).map((b) => ({ value: b.identifier, label: b.title }))}
          value={value.moderatedBlueprints}
          onChange={(moderatedBlueprints) => onChange({ ...value, moderatedBlueprints })}
          searchable
        />
      )}
      <TagsInput
        label="Teams"
        description="Pick a team or type a new one and press Enter"
        data={(teams.data ?? []).map((t) => t.identifier)}
        value={value.teams}
        onChange={(t) => onChange({ ...value, teams: t })}
      />
    </Stack>
  );
}
