import { relative } from 'node:path';
import { tierOf } from './test-tiers.mjs';

/**
 * Prints, after a run, each tier's files, tests and summed file time (files run in parallel, so the sum
 * is the tier's cost, not its wall time), so CI shows where its minutes go.
 */
export default class TierReporter {
  onTestRunEnd(testModules) {
    const tiers = new Map();
    for (const module of testModules) {
      const tier = tierOf(relative(process.cwd(), module.moduleId));
      const seen = tiers.get(tier) ?? { files: 0, tests: 0, ms: 0 };
      seen.files += 1;
      seen.tests += [...module.children.allTests()].length;
      seen.ms += module.diagnostic().duration;
      tiers.set(tier, seen);
    }
    const lines = [...tiers].map(([tier, seen]) => `  ${tier.padEnd(13)} ${String(seen.files).padStart(3)} files ${String(seen.tests).padStart(4)} tests ${(seen.ms / 1000).toFixed(1).padStart(7)} s`);
    console.log(`\nTime per tier (sum of file times):\n${lines.join('\n')}`);
  }
}
