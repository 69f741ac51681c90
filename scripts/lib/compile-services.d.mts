/** Types of compile-services.mjs (plain JavaScript, so that `npm start` needs no loader). */
export declare const SOURCE_ROOTS: string[];
export declare function shippedSources(repoRoot: string): string[];
export declare function compileServices(options: { repoRoot: string; outDir: string; entryPoints: string[]; checkout?: string }): Promise<void>;
