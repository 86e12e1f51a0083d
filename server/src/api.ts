// The npm package's `require('truss-config')` (package.json `exports`); VS Code loads `main` instead.
export { check } from './cli/api';
export type { CheckFinding, CheckOptions, Position, Severity } from './cli/api';
