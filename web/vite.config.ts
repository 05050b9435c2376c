import { defineConfig } from "vite";

// The desk is plain TypeScript and DOM: no framework, so the bundle stays small and the code reads
// like the API it uses. Served by the local gateway from dist/ (make run), or by CloudFront in AWS.
export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false },
});
