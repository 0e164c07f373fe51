import { ThemeIcon } from '@mantine/core';

const COLORS = ['indigo', 'teal', 'grape', 'orange', 'cyan', 'pink', 'lime', 'violet', 'blue', 'green'] as const;

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** A blueprint's badge: its initials on a color of its own, stable across pages. */
export function BlueprintAvatar({ blueprint, title, size = 'md' }: { blueprint: string; title?: string | null; size?: 'xs' | 'sm' | 'md' | 'lg' | 'xl' }) {
  const label = (title || blueprint).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const words = label.split(' ').filter(Boolean);
  const initials = (words.length > 1 ? words[0]![0]! + words[1]![0]! : label.slice(0, 2)).toUpperCase();
  return (
    <ThemeIcon size={size} radius="sm" variant="light" color={COLORS[hash(blueprint) % COLORS.length]} aria-hidden="true">
      <span style={{ fontSize: size === 'xs' || size === 'sm' ? 9 : 11, fontWeight: 700 }}>{initials}</span>
    </ThemeIcon>
  );
}
