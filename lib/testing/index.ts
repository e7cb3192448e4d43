export * from './normalize-template';
