package app

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// reloadDebounce lets an editor finish writing (or a deploy finish copying
// several files) before the rules are rebuilt.
const reloadDebounce = 200 * time.Millisecond

// watchRules calls reload whenever a *.yaml file of dir changes, until ctx
// ends. A failed reload is logged and the previous rules keep serving; reload
// itself records the outcome in the metrics.
func watchRules(ctx context.Context, dir string, logger *slog.Logger, reload func() error) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch rules: %w", err)
	}
	defer w.Close()
	if err := w.Add(dir); err != nil {
		return fmt.Errorf("watch rules dir %s: %w", dir, err)
	}
	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if filepath.Ext(ev.Name) == ".yaml" {
				timer = time.After(reloadDebounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			logger.Warn("rules watcher", "err", err)
		case <-timer:
			timer = nil
			if err := reload(); err != nil {
				logger.Error("rules reload failed; the previous rules keep serving", "err", err)
			}
		}
	}
}
