/**
 * The smallest experiment that trades: one market maker and five noise
 * traders for 30 s, sampled every 5 s. Tests of the CLI and of output folders
 * run it where any real run will do.
 */
export function smallExperimentText(name: string): string {
  return [
    `name: ${name}`,
    'horizon: 30s',
    'sampling: 5s',
    'agents:',
    '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20 } }',
    '  - { type: noise, name: noise, count: 5, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 1s } }',
    '',
  ].join('\n');
}
