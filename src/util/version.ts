declare const __VAIBOT_VERSION__: string | undefined;

/** This build's version (injected by the bundler; `dev` when run from sources). */
export const VERSION: string = typeof __VAIBOT_VERSION__ === 'string' ? __VAIBOT_VERSION__ : 'dev';
