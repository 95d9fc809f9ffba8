/** @propel/jobs as a library (the API's model loading and shared feature definition). */
export * from './model';
export * from './features/schema';
export { PropelError } from './errors';
