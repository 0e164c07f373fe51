import type { BlueprintProperty } from '@portolan/contract';

// Port's enum color names → Mantine palette colors (the closest hue).
const PORT_TO_MANTINE: Record<string, string> = {
  blue: 'blue',
  turquoise: 'teal',
  orange: 'orange',
  purple: 'grape',
  pink: 'pink',
  yellow: 'yellow',
  green: 'green',
  red: 'red',
  gold: 'yellow.8',
  silver: 'gray.5',
  paleBlue: 'cyan.3',
  darkGray: 'dark.4',
  lightGray: 'gray.3',
  bronze: 'orange.9',
  lime: 'lime',
  olive: 'lime.9',
  brown: 'orange.9',
};

export function enumColor(property: BlueprintProperty | undefined, value: unknown): string {
  const name = property?.enumColors?.[String(value)];
  return (name && PORT_TO_MANTINE[name]) || 'gray';
}

export const PORT_ENUM_COLORS = Object.keys(PORT_TO_MANTINE);
export const mantineColorFor = (portColor: string): string => PORT_TO_MANTINE[portColor] ?? 'gray';

/** A CSS color for a Port color name (for swatches outside Mantine components). */
export function cssColor(portColor: string): string {
  const [name, shade] = mantineColorFor(portColor).split('.');
  return `var(--mantine-color-${name}-${shade ?? '6'})`;
}

/** Inline colors of a light chip for an enum value (plain elements in table cells are cheaper than components). */
export function chipStyle(property: BlueprintProperty | undefined, value: unknown): { background: string; color: string } {
  const [name, shade] = enumColor(property, value).split('.');
  if (shade) return { background: `var(--mantine-color-${name}-1)`, color: `var(--mantine-color-${name}-9)` };
  return { background: `var(--mantine-color-${name}-light)`, color: `var(--mantine-color-${name}-light-color)` };
}
