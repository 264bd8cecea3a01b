/** The interrupt timeline in the Chrome/Perfetto Trace Event Format. */
export * from './format';
export * from './convert';
export * from './machine';
