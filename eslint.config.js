// ESLint for the whole checkout (`npm run lint`; `npm test` runs it after the type-check). The rules
// catch defects; how the code looks is Prettier's business (`npm run format`), so every stylistic
// rule is off (eslint-config-prettier, last).
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["node_modules/", "dist/", ".run/", "data/", "artifacts/", "coverage/", "build-test-*/", "scratch/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { globals: globals.node },
    rules: {
      // tsc's noUnusedLocals and noUnusedParameters report these already, in the type-check.
      "@typescript-eslint/no-unused-vars": "off",
      // A type-only import says so: it is erased at build time and never makes a runtime import circle.
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
      // `{}` in conditional types is the empty intersection (`A & {}` adds nothing), as in inngest's own types.
      "@typescript-eslint/no-empty-object-type": ["error", { allowObjectTypes: "always" }],
      // The regexes match printed output, indented by two spaces: as readable as the text they match.
      "no-regex-spaces": "off",
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-throw-literal": "error",
      "prefer-const": "error",
      "no-var": "error",
    },
  },
  {
    // Tests read stored and answered JSON by deep paths; where the shape is wrong, the assertion fails.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Type tests: a bare expression under `@ts-expect-error` is how they say "this must not compile".
    files: ["test/types/**/*.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
  {
    // Svix transformations as Svix's dashboard holds them: plain scripts whose `handler` Svix calls.
    files: ["test/fixtures/svix-transformations/*.js"],
    languageOptions: { sourceType: "script" },
    rules: { "@typescript-eslint/no-unused-vars": ["error", { varsIgnorePattern: "^handler$" }] },
  },
  {
    // The launcher, the build scripts: plain ES modules run by Node.
    files: ["bin/**/*.js", "scripts/**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
  {
    // The dashboard's own JavaScript runs in the browser; tsconfig.dashboard.json type-checks it.
    files: ["src/dashboard/public/**/*.js"],
    languageOptions: { globals: globals.browser },
  },
  prettier,
);
