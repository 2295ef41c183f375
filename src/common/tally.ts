/** Every known status, zero when absent, so a status that empties shows 0 instead of vanishing. */
export function tally<S extends string>(statuses: readonly S[], rows: Array<{ status: string; n: number }>): Record<S, number> {
  const counts = Object.fromEntries(statuses.map((status) => [status, 0])) as Record<S, number>;
  for (const row of rows) if (row.status in counts) counts[row.status as S] = row.n;
  return counts;
}
