// The apps' webpack build (nest-cli.json: webpackConfigPath): Nest's defaults without their per-app
// type check. `npm test` type-checks the whole repository once (tsc --noEmit); a build per app would
// repeat it three times.
module.exports = (options) => ({
  ...options,
  plugins: options.plugins.filter((plugin) => plugin.constructor.name !== 'ForkTsCheckerWebpackPlugin'),
});
