/**
 * The layering of architecture.md, enforced: no cycles; the domain imports no framework and no
 * other library; libraries never import apps; a library is imported only through its index.ts.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'pure-domain',
      comment: 'libs/pathway is pure TypeScript: no Nest, no ORM, no I/O, no other library',
      severity: 'error',
      from: { path: '^libs/pathway/' },
      to: { pathNot: ['^libs/pathway/', '^node:'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'libs-not-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'only-through-index',
      comment: 'import another library by its alias (@app/x), which resolves to its index.ts',
      severity: 'error',
      from: { path: '^(apps|libs)/([^/]+)/' },
      to: { path: '^libs/([^/]+)/src/.+', pathNot: ['^libs/$2/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'persistence-below-application',
      comment: 'persistence serves the application layer; it never calls it',
      severity: 'error',
      from: { path: '^libs/persistence/' },
      to: { path: '^libs/(cases|auth)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.spec\\.ts|\\.int-spec\\.ts|/testing/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
