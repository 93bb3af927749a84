// Org directory: department trees per division, posts, staff placement, bulk import.
export { orgRoutes } from './routes.js';
export { orgMigrations } from './migrations.js';
export { buildTree, departmentTree, createDepartment, updateDepartment, deleteDepartment, createPost, deletePost, type DepartmentView, type DepartmentNode } from './departments.js';
export { placeStaff, getPlacement, departmentStaff, departmentLiaisons, LIAISON_POST, type Placement } from './placement.js';
export { importSheet, type ImportReport, type ImportError } from './import.js';
export type { Caller } from './access.js';
import './tables.js';
