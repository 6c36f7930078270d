import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per space whose tree changes: creating, renaming and moving pages lock it (MySQL
 * `SELECT … FOR UPDATE`) so two concurrent moves cannot build a cycle between them.
 */
@Entity('wiki_tree_lock')
export class WikiTreeLock {
  @PrimaryColumn({ name: 'space_key', type: 'varchar', length: 36 }) spaceKey: string;
  @Column({ type: 'int', default: 0 }) changes: number;
}
