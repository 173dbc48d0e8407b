module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: {
    // Tests assert through helpers named expect..., e.g. expectRefused().
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expect*'] },
    ],
  },
});
