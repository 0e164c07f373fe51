// The scaffolder's client routes (kept beside the feature; the router imports them).
const e = encodeURIComponent;

export const scaffolderPaths = {
  gallery: () => '/create',
  wizard: (template: string) => `/create/templates/${e(template)}`,
  editTemplate: (template: string) => `/create/templates/${e(template)}/edit`,
  tasks: (search = '') => `/create/tasks${search}`,
  task: (id: string) => `/create/tasks/${e(id)}`,
};
