// zapier-platform-core ships its schema tools (what `zapier validate` runs locally) without types.
declare module 'zapier-platform-core/src/tools/schema' {
  export interface SchemaError {
    property: string;
    message: string;
    stack: string;
  }
  /** Resolve resources and defaults into the app definition Zapier sees. */
  export function compileApp(app: object): object;
  /** Errors of the compiled definition against zapier-platform-schema; empty when valid. */
  export function validateApp(compiledApp: object): SchemaError[];
}
