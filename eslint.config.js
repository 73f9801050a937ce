import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { layerRules } from "./eslint.layers.config.js";

export default tseslint.config(
  { ignores: ["node_modules", "dist", "src/generated", "data", "coverage", "conversations/*.schema.json"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  {
    // Plain Node modules (the build check `npm start` runs before any TypeScript is compiled).
    files: ["scripts/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    files: ["scripts/**", "tests/**", "src/cli/**"],
    rules: { "no-console": "off" },
  },
  ...layerRules,
);
