import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "cdktf.out/**", "reports/**", "coverage/**", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "@cdktf/provider-aws", message: "use deep imports: @cdktf/provider-aws/lib/<resource>" }],
        },
      ],
    },
  },
);
