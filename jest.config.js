// Three projects: unit (domain and other pure specs next to the code, and checks of files in test/), integration (real Postgres and Redis) and
// system (the built apps over HTTP). `npm test` starts the throwaway servers and runs all three.
const moduleNameMapper = {
  '^@app/(pathway|cases|persistence|auth|config|timers|alerts|audit|observability)$': '<rootDir>/libs/$1/src',
  '^@test/(.*)$': '<rootDir>/test/$1',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const common = {
  setupFilesAfterEnv: ['<rootDir>/test/support/time-setup.ts'],
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      // test/*.spec.ts: checks of the repository's files (docker/compose.yaml), no servers.
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
        '<rootDir>/test/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/libs/**/*.int-spec.ts', '<rootDir>/apps/**/*.int-spec.ts'],
      slowTestThreshold: 30,
    },
    { ...common, displayName: 'system', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], slowTestThreshold: 60 },
  ],
};
