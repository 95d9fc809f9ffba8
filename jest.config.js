/** Jest for both workspaces: ts-jest (transpile only; `make typecheck` checks types), one real
 * PostgreSQL for the run (test/global-setup), one fresh database per test file. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/jobs', '<rootDir>/api'],
  testMatch: ['**/?(*.)test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // The api imports @propel/jobs: tests run it from source, not from a possibly stale dist/.
  moduleNameMapper: {
    '^@propel/jobs$': '<rootDir>/jobs/src/index.ts',
    '^@propel/jobs/dist/(.*)$': '<rootDir>/jobs/src/$1',
  },
  globalSetup: '<rootDir>/jobs/test/global-setup.ts',
  globalTeardown: '<rootDir>/jobs/test/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
};
