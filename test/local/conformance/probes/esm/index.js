// An ES module by its package.json, with top-level await: the runtime must load it with import().
const configuration = await Promise.resolve({ loadedWith: 'import' });
export const handler = async () => configuration;
