/** A Python script of ours, bundled as its text (scripts/build-plugins.mjs, `pythonText`). */
declare module '*.py' {
  const text: string;
  export default text;
}
