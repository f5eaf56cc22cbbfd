/** @type {import('tailwindcss').Config} */
export default {
  content: ['./index.html', './src/**/*.{ts,tsx}'],
  // Themes flip a class on <html>, so the user's choice wins over the OS setting.
  darkMode: 'class',
  theme: {
    extend: {
      // Colours come from CSS variables (src/index.css) so one class list serves both themes.
      colors: {
        bg: 'var(--bg)',
        panel: 'var(--panel)',
        border: 'var(--border)',
        fg: 'var(--text)',
        muted: 'var(--muted)',
        accent: 'var(--accent)',
        up: 'var(--ok)',
        down: 'var(--fail)',
      },
    },
  },
  plugins: [],
};
