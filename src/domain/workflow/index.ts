/**
 * The ŞÖK workflow (one word for it everywhere): state and schemas, command inputs, the pure
 * transitions with their guards, registration, what the screen may offer, and the texts.
 */
export * from './state';
export * from './inputs';
export * from './refusal';
export * from './transitions';
export * from './registration';
export * from './available';
export * from './mutations';
export * from './texts';
export * from './scripts';
