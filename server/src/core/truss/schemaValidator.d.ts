/** The schema validator ajv generated at build time from server/src/core/schemaCompile.ts (scripts/build.mjs). */
declare module 'truss-config:schema-validator' {
  import type { ValidateFunction } from 'ajv';
  const validate: ValidateFunction;
  export default validate;
}
