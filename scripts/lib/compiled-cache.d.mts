/** Types of compiled-cache.mjs (plain JavaScript, so that `npm start` needs no loader). */
export declare function sourcesHash(repoRoot: string, sources?: string[]): string;
export declare function compiledServices(repoRoot: string, onBuild?: (message: string) => void): Promise<{ outDir: string; built: boolean }>;
