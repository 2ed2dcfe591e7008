/**
 * The PostgreSQL data plane of the local stand-in: real PostgreSQL servers behind the emulated
 * Aurora clusters, their online clones, and the legacy dataset the demo seeds.
 */
export type { CloneResult } from './clone.js';
export type { CopyMethod } from './copy.js';
export { ADMIN_ROLE, DataPlane, type DataPlaneOptions, type MasterUser } from './data-plane.js';
export { LEGACY_DATASET, LEGACY_TABLES, type SeedResult, seedLegacyDataset } from './seed.js';
