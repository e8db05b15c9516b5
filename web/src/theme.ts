import { type CSSVariablesResolver, createTheme, DEFAULT_THEME } from '@mantine/core';

const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * Chorus's look: Mantine's defaults with a teal primary and the system font stack (nothing is
 * downloaded). The darkest teal keeps white button text at 5:1 contrast (WCAG AA asks 4.5:1).
 */
export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: { light: 9, dark: 8 },
  defaultRadius: 'md',
  fontFamily: SYSTEM_FONTS,
  headings: { fontFamily: SYSTEM_FONTS },
});

/** Secondary ("dimmed") text one shade darker than Mantine's, so it stays readable (7:1 on white). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': DEFAULT_THEME.colors.gray[7] },
  dark: { '--mantine-color-dimmed': DEFAULT_THEME.colors.dark[1] },
});
