/** Validated configuration: read once from the environment, fails fast naming every bad variable. */
export * from './clock';
export * from './config';
export * from './config.module';
export * from './key-ring';
export * from './availability';
export * from './logging';
export * from './redis-connection';
export * from './shutdown';
