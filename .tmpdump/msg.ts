import { ZOO } from '../examples/zoo/index.js';
import { explore } from '../src/explore/explore.js';
import { zooCampaign } from '../src/explore/zooRun.js';
import { exploreReport } from '../src/explore/report.js';
for (const entry of ZOO) {
  const { scenario, spec } = zooCampaign(entry, 'pct', false, 1, 300);
  const outcome = await explore(scenario, spec);
  const r = exploreReport(entry.name, outcome, 1, null);
  console.log(entry.name, '|', r.violation?.message, '|', r.shrink?.message);
}
