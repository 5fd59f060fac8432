export * from './auth';
export * from './channels';
export * from './videos';
export * from './analysis';
export * from './candidates';
export * from './operations';
export * from './reels';
export * from './public-links';
