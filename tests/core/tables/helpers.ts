// Shared fixtures for the table tests: a fixed clock and readers for Table fields.

/** The clock every test prints against. */
export const NOW = new Date("2025-03-01T12:00:00Z");

/** An RFC3339 timestamp `seconds` before {@link NOW}. */
export function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString().replace(".000Z", "Z");
}

type Table = Record<string, unknown>;

/** Column names of a Table. */
export function names(table: Table): string[] {
  return (table.columnDefinitions as { name: string }[]).map((c) => c.name);
}

/** Column names of the default (priority 0) columns. */
export function narrowNames(table: Table): string[] {
  return (table.columnDefinitions as { name: string; priority: number }[]).filter((c) => c.priority === 0).map((c) =>
    c.name
  );
}

/** Column names of the `-o wide` (priority 1) columns. */
export function wideNames(table: Table): string[] {
  return (table.columnDefinitions as { name: string; priority: number }[]).filter((c) => c.priority === 1).map((c) =>
    c.name
  );
}

/** Each row's cells. */
export function cells(table: Table): unknown[][] {
  return (table.rows as { cells: unknown[] }[]).map((r) => r.cells);
}

/** The single row's cells keyed by column name. */
export function row(table: Table, index = 0): Record<string, unknown> {
  const columns = names(table);
  const values = cells(table)[index];
  return Object.fromEntries(columns.map((name, i) => [name, values[i]]));
}
