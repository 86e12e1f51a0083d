/** The schema validator ajv generated at build time from server/src/core/schemaCompile.ts (scripts/build.mjs). */
declare module 'truss-config:schema-validator' {
  const validate: import('ajv').ValidateFunction;
  export default validate;
}
