//! Compiles the Terraform plugin protocol and go-plugin side-service protos with protox (pure Rust, no
//! system `protoc`) and generates tonic server and client stubs.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = ["proto/tfplugin5.proto", "proto/grpc_controller.proto"];
    for proto in &protos {
        println!("cargo:rerun-if-changed={proto}");
    }
    let descriptors = protox::compile(protos, ["proto"])?;
    tonic_prost_build::configure()
        .build_server(true)
        // Client stubs are used by the in-process tests and are handy for tools.
        .build_client(true)
        // Clients are for tests, which connect their own channel; no `connect` helper needing tonic's transport.
        .build_transport(false)
        // RPCs we do not implement answer UNIMPLEMENTED, which Terraform tolerates for optional ones.
        .generate_default_stubs(true)
        .compile_fds(descriptors)?;
    Ok(())
}
