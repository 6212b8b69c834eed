// The ringtone is imported as a URL (Vite copies it into the build). Declared here as well as by
// vite/client, because the SIP test harness type-checks this folder without Vite's types.
declare module '*.wav?url' {
  const url: string;
  export default url;
}
