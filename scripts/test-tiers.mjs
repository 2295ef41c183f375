// The test tiers, by folder: one list, read by the tier reporter (.ci/run's per-tier times) and by the
// Node 24 run (scripts/node24.sh), which runs the tiers marked `node24`.
export const TIERS = [
  { name: 'small', folders: ['test/small'], node24: true },
  { name: 'contract', folders: ['test/contract'], node24: true },
  { name: 'medium', folders: ['test/medium'], node24: false },
  { name: 'e2e', folders: ['test/e2e'], node24: true },
  { name: 'multiprocess', folders: ['test/multiprocess'], node24: false },
];

/** The tier a test file (path relative to the project) belongs to; `other` for one no tier names yet. */
export function tierOf(file) {
  return TIERS.find((tier) => tier.folders.some((folder) => file === folder || file.startsWith(`${folder}/`)))?.name ?? 'other';
}

// `node scripts/test-tiers.mjs node24` prints the Node 24 run's files and folders, one per line.
if (process.argv[1]?.endsWith('test-tiers.mjs') && process.argv[2] === 'node24') {
  const folders = TIERS.filter((tier) => tier.node24).flatMap((tier) => tier.folders);
  // The sqlite contract only: the firestore contract needs the emulator and proves nothing about Node.
  console.log(folders.map((folder) => (folder === 'test/contract' ? 'test/contract/sqlite.spec.ts' : folder)).join('\n'));
}
