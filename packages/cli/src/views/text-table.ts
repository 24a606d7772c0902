/** A column of a text table: its heading, and whether its cells line up on the right (numbers). */
export type TableColumn = { heading: string; alignRight?: boolean };

/**
 * Rows under their headings, each column as wide as its widest cell, two spaces between columns,
 * indented by two; no trailing spaces. A table without rows is its headings alone.
 */
export function textTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((column, index) =>
    Math.max(column.heading.length, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    `  ${columns
      .map((column, index) => {
        const cell = cells[index] ?? "";
        const width = widths[index] ?? 0;
        return column.alignRight ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")}`.trimEnd();
  return [line(columns.map((column) => column.heading)), ...rows.map(line)];
}
