/** Fake credentials of every shape we recognise, shared by the suites that plant them. */

const base64 = (s: string) => Buffer.from(s).toString('base64');
const A = 'Q7vX2mK9pL4wR8tY1nB6cF3hJ5sD0gZ';

/** Fake credentials in every shape we recognise: the text to search for, and the text to plant. */
export const CANARIES: Array<{ kind: string; planted: string; needle: string }> = [
  { kind: 'GitHub classic', planted: `ghp_${A}abcde`, needle: `ghp_${A}` },
  { kind: 'GitHub fine-grained', planted: `github_pat_11${A}_${A}abcdef`, needle: `github_pat_11${A}` },
  { kind: 'Hugging Face', planted: `hf_${A}xyzw`, needle: `hf_${A}` },
  { kind: 'AWS key id', planted: 'AKIAQ7VX2MK9PL4WR8TY', needle: 'AKIAQ7VX2MK9PL4WR8TY' },
  {
    kind: 'AWS secret key',
    planted: 'q7VX2mK9/pL4wR8tY1nB+6cF3hJ5sD0gZaWs2Xe4',
    needle: 'q7VX2mK9/pL4wR8tY1nB+6cF3hJ5sD0gZaWs2Xe4',
  },
  { kind: 'OpenAI', planted: `sk-proj-${A}${A}`, needle: `sk-proj-${A}` },
  { kind: 'Slack', planted: `xoxb-${A}-${A}`, needle: `xoxb-${A}` },
  { kind: 'GitLab', planted: `glpat-${A}`, needle: `glpat-${A}` },
  { kind: 'NVIDIA', planted: `nvapi-${A}${A}`, needle: `nvapi-${A}` },
  { kind: 'Google API key', planted: `AIza${A}abcd`, needle: `AIza${A}` },
  { kind: 'docker auth', planted: base64('canary-user:Q7vX2mK9pL4w'), needle: base64('canary-user:Q7vX2mK9pL4w') },
  { kind: 'private key', planted: `-----BEGIN RSA PRIVATE KEY-----\n${A}\n-----END RSA PRIVATE KEY-----`, needle: A },
  { kind: 'JWT', planted: `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ${A}.${A}`, needle: `eyJzdWIiOiJ${A}` },
  { kind: 'URL with a token', planted: `https://builder:${A}@pypi.example.com/simple`, needle: A },
  { kind: 'random token', planted: 'Xk9vQ2mLp4RtY7nB1cF3hJ5sD8gZwE6u', needle: 'Xk9vQ2mLp4RtY7nB1cF3hJ5sD8gZwE6u' },
];
