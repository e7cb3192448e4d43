/** Lambda-like local execution of bundled handlers (the base of the local runner). */
export * from './execution';
