// Runs sandboxed with context isolation: exposes the bridge and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('alo153', createPreloadApi(ipcRenderer));
