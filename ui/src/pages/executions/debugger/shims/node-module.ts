/**
 * `node:module` for the expression engine in the browser (see node-buffer.ts): the only use is
 * loading jq-web (20 MB of WebAssembly), which the debugger does not ship.
 */
export function createRequire(_from: string): (id: string) => never {
  return (id) => {
    throw new Error(
      `${id === 'jq-web' ? 'jq' : id} is not available in the debugger (it runs on the server only)`,
    );
  };
}
