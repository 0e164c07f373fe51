// The actions feature's client routes (kept beside the feature; the router imports them).
const e = encodeURIComponent;

export const actionPaths = {
  runs: (search = '') => `/runs${search}`,
  run: (id: string) => `/runs/${e(id)}`,
};
