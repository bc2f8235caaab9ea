declare const __VAIBOT_BUILD_ID__: string | undefined;

/** This build's id (a hash of the sources, injected by the bundler; `dev` when run from sources). */
export const BUILD_ID: string = typeof __VAIBOT_BUILD_ID__ === 'string' ? __VAIBOT_BUILD_ID__ : 'dev';
