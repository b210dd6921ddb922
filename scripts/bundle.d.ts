/** Types of scripts/bundle.js for the bench (bench/build.ts), which bundles the bot the same way. */
export declare const APP_ENTRIES: Record<string, string>;
export declare function bundleApp(options: {
  root: string;
  outDir: string;
  entries: Record<string, string>;
}): Promise<void>;
