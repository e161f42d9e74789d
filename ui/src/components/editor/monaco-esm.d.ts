// Monaco's feature modules, imported for their side effects only (monaco-features.ts).
declare module 'monaco-editor/esm/vs/*';
