export { adaptChapter } from "./adapt-chapter.ts";
export { adaptScreenplay } from "./adapt-screenplay.ts";
export { buildCharacterBible } from "./build-character-bible.ts";
