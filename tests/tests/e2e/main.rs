//! Browser end-to-end tests: the demo site and the provider on two loopback origins, driven
//! through chromedriver in headless Chromium with real clicks and real popups.
//!
//! Run: `cargo test -p wl-e2e --test e2e` after `cargo xtask build` and `npm ci --prefix tests`
//! (`cargo xtask test` does all three). Filter like libtest: `cargo test -p wl-e2e --test e2e
//! -- signin::`.

mod a11y;
mod api;
mod attack;
mod badge;
mod bar;
mod calendar_jit;
mod cdn;
mod consent_jit;
mod custom_chat;
mod down;
mod faults;
mod feeds;
mod first_paint;
mod here_now;
mod i18n;
mod manage_data;
mod markup;
mod npm;
mod oidc;
mod playground;
mod popup;
mod portal_pages;
mod portal_story;
mod python_client;
mod scale;
mod screenshots;
mod session;
mod signin;
mod stranger;

fn main() {
    let mut cases = wl_e2e::cases![
        signin::full_flow_keeps_session_and_signs_out,
        signin::deny_fires_access_denied,
        signin::closing_the_popup_is_user_canceled,
        signin::provider_coop_same_origin_still_completes,
        signin::markup_in_a_name_is_shown_as_text,
        signin::a_forged_callback_error_does_not_end_a_pending_sign_in,
        session::default_session_stays_in_its_tab,
        session::local_storage_is_shared_by_tabs,
        session::local_storage_tabs_follow_each_other,
        session::local_tabs_restoring_at_once_refresh_once,
        session::local_tabs_renewing_together_refresh_once,
        session::a_session_copied_into_a_window_is_renewed_once,
        session::a_page_holding_a_claim_is_kept_in_the_back_forward_cache,
        session::a_computer_waking_from_sleep_keeps_its_session,
        session::waking_renews_before_the_late_timer,
        session::a_page_restored_offline_keeps_its_session,
        session::going_back_from_the_provider_ends_a_redirect_sign_in,
        session::memory_storage_forgets_on_reload,
        session::redirect_mode_signs_in_without_a_popup,
        popup::opens_before_the_core_has_loaded,
        popup::a_click_on_the_first_paint_signs_in_before_the_module_arrives,
        popup::login_outside_a_gesture_is_popup_blocked,
        popup::a_second_login_cancels_the_first,
        api::me_then_a_revoked_token_ends_the_session,
        markup::legacy_tags_are_upgraded_and_work,
        markup::script_created_and_late_controls_render,
        a11y::controls_have_no_violations_signed_out_and_in,
        a11y::demo_page_has_no_violations,
        a11y::provider_pages_have_no_violations,
        a11y::keyboard_alone_signs_in,
        screenshots::every_control_every_theme,
        screenshots::the_first_paint_is_the_taken_over_page,
    ];
    // Later areas keep their list in their own module.
    cases.extend(consent_jit::cases());
    cases.extend(i18n::cases());
    cases.extend(calendar_jit::cases());
    cases.extend(manage_data::cases());
    cases.extend(playground::cases());
    cases.extend(bar::cases());
    cases.extend(here_now::cases());
    cases.extend(custom_chat::cases());
    cases.extend(badge::cases());
    cases.extend(feeds::cases());
    cases.extend(cdn::cases());
    cases.extend(stranger::cases());
    cases.extend(first_paint::cases());
    cases.extend(npm::cases());
    cases.extend(oidc::cases());
    cases.extend(portal_pages::cases());
    cases.extend(portal_story::cases());
    cases.extend(faults::cases());
    cases.extend(down::cases());
    cases.extend(attack::cases());
    cases.extend(scale::cases());
    cases.extend(python_client::cases());
    wl_e2e::harness::run_main(cases);
}
