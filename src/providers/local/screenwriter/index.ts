export { adaptChapter } from "./adapt-chapter.ts";
export { adaptScreenplay } from "./adapt-screenplay.ts";
export { buildCharacterBible } from "./build-character-bible.ts";
export { DEFAULT_SCENE_TARGETS, type SceneTargets } from "./group-scenes.ts";
