import { describe, expect, it } from 'vitest';
import { factsSection, type ReportFacts } from '../../src/report/facts-tables.js';

const entry = (n: number, kurt: number | null, missing: string | null) => ({
  intervalUs: 60_000_000,
  missing,
  samples: n + 1,
  oneSided: 0,
  n,
  sd: missing === null ? 0.0012 : null,
  skew: missing === null ? -0.25 : null,
  excessKurtosis: kurt,
  hill: missing === null ? 3.4 : null,
  acf1: missing === null ? -0.031 : null,
  absAcf: { '1': missing === null ? 0.21 : null, '10': null, '50': null, '100': null },
});

const facts: ReportFacts = {
  burnInUs: 1_800_000_000,
  samplingUs: 30_000_000,
  sessions: 5,
  intervals: { '1m': entry(1800, 4.75, null), '5m': entry(72, null, 'fewer than 100 returns (72)') },
  varianceRatio: { q: 15, value: 0.937, windows: 1700, missing: null },
  volRatio5m: 1.31,
  microstructure: {
    samples: 3600,
    spreadTicks: { median: 2, p95: 6 },
    oneSidedShare: 0.0005,
    depth: { bidMedian: 4200, askMedian: 3900, bidShareOfDailyVolume: 0.021, askShareOfDailyVolume: 0.0195 },
    dailyVolume: 200_000,
  },
  impact: [
    { qty: 20, probes: 10, measured: 10, meanImpact: 0.0001, meanImmediateImpact: 0.0002, standardError: 0.00002, emptiedShare: 0 },
    { qty: 2000, probes: 9, measured: 8, meanImpact: 0.0005, meanImmediateImpact: 0.0009, standardError: 0.00015, emptiedShare: 0.125 },
  ],
};

describe('factsSection', () => {
  it('should be empty for a summary without facts', () => {
    expect(factsSection(undefined)).toBe('');
    expect(factsSection(null)).toBe('');
  });

  it('should show each interval beside the real series, and say why one is missing', () => {
    const html = factsSection(facts);
    expect(html).toContain('<h2>Stylized facts</h2>');
    expect(html).toMatch(/<th[^>]*>1m<\/th>/);
    expect(html).toMatch(/<th[^>]*>5m<\/th>/);
    expect(html).toContain('S&amp;P 500');
    expect(html).toContain('4.75');
    expect(html).toContain('5m: fewer than 100 returns (72)');
  });

  it('should show the variance ratio, the book and the impact curve in their units', () => {
    const html = factsSection(facts);
    expect(html).toContain('VR(15)');
    expect(html).toContain('0.937');
    expect(html).toContain('0.0500 %'); // one-sided share 0.0005
    // 2 000 lots are 1 % of a 200 000-lot day; 9 bp right after, a log impact of 0.0005 is 5 bp 1 s after, standard error 1.5 bp; 1 of 8 emptied a side.
    expect(html).toMatch(/>2,?000<\/t[dh]><td[^>]*>1 %<\/td><td[^>]*>9<\/td><td[^>]*>8<\/td><td[^>]*>9<\/td><td[^>]*>5<\/td><td[^>]*>1.50<\/td><td[^>]*>12.5 %<\/td>/);
  });
});
